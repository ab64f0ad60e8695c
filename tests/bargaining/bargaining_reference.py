"""Deliberately simple loop implementations to cross-check the vectorised engines.

Written straight from the equations (Scholz, Calbert & Smith 2011; KTAB's
``smpbcn.cpp`` ``probEduChlg``), one actor at a time, with no numpy tricks.
"""

from __future__ import annotations

import math

SHARED_NOTE = "reference implementation for tests only"


def bdm_round(x, c, s, rng, q=1.0):
    """One round of the challenge model with the replication-code conventions."""
    n = len(x)

    def compare(k, xa, xb, r):
        return c[k] * s[k] * ((abs(x[k] - xb) / rng) ** r - (abs(x[k] - xa) / rng) ** r)

    def prob(i, j, risk):
        if x[i] == x[j]:
            return 0.0
        total = 0.0
        for k in range(n):
            for a in range(n):
                for b in range(n):
                    total += abs(compare(k, x[a], x[b], risk[k]))
        support = sum(max(0.0, compare(k, x[i], x[j], risk[k])) for k in range(n))
        return support / total

    def eu(p_r, i, j, risk):
        d = abs(x[i] - x[j]) / rng
        us = 2 - 4 * (0.5 - 0.5 * d) ** p_r
        uf = 2 - 4 * (0.5 + 0.5 * d) ** p_r
        usq = 2 - 4 * 0.5 ** p_r
        p = prob(i, j, risk)
        return s[j] * (p * us + (1 - p) * uf) + (1 - s[j]) * us - q * usq

    ones = [1.0] * n
    danger = [sum(eu(1.0, j, i, ones) for j in range(n) if j != i) for i in range(n)]
    dmax, dmin = max(danger), min(danger)
    r = []
    for i in range(n):
        big = (2 * danger[i] - dmax - dmin) / (dmax - dmin) if dmax > dmin else 0.0
        r.append((1 - big / 3) / (1 + big / 3))
    new = list(x)
    for a in range(n):
        conf, comp = [], []
        for b in range(n):
            if x[a] == x[b]:
                continue
            eu_ab = eu(r[a], a, b, r)
            eu_ba = eu(r[a], b, a, r)
            if eu_ba > eu_ab > 0:
                conf.append((abs(x[a] - x[b]), x[b]))
            elif eu_ba > 0 > eu_ab and eu_ba > abs(eu_ab):
                pos = x[a] + (x[b] - x[a]) * abs(eu_ab / eu_ba)
                key = (abs(eu_ab) * x[a] + abs(eu_ba) * x[b]) / (abs(eu_ab) + abs(eu_ba))
                comp.append((key, pos))
        if conf:
            new[a] = min(conf, key=lambda t: t[0])[1]
        elif comp:
            new[a] = min(comp, key=lambda t: t[0])[1]
    return new


def smp_challenge(pos, sal, cap, r, i, j):
    """KTAB probEduChlg(i, i, i, j) in one dimension: (P[i beats j], expected gain)."""
    n = len(pos)

    def util(h, a, b):
        rh = (2.0 * r[h] + r[a]) / 3.0
        d = abs(pos[a] - pos[b])
        return (1 - d) * (1 + d * rh)

    w = [sal[k] * cap[k] for k in range(n)]
    ci = w[i] * (util(i, i, i) - util(i, i, j))
    cj = w[j] * (util(i, j, i) - util(i, j, j))
    chij = 1e-10 + max(ci, 0) + max(cj, 0)
    chji = 1e-10 + max(-ci, 0) + max(-cj, 0)
    base_ij, base_ji = chij, chji
    for m in range(n):
        if m in (i, j):
            continue
        umi, umj, umm = util(i, m, i), util(i, m, j), util(i, m, m)
        v = w[m] * (umi - umj)
        cni = base_ij + (v if v > 0 else 0)
        cnj = base_ji + (-v if v < 0 else 0)
        pin = cni / (cni + cnj)
        pjn = 1 - pin
        u_ik_j = pin * (umi + umi + umm) + pjn * (3 * umj)
        u_i_jk = pin * (3 * umi) + pjn * (umj + umj + umm)
        vk = w[m] * (u_ik_j - u_i_jk)
        if vk > 0:
            chij += vk
        else:
            chji -= vk
    p = chij / (chij + chji)
    uii, uij = util(i, i, i), util(i, i, j)
    eu = (1 - sal[j]) * 2 * uii + sal[j] * (p * 2 * uii + (1 - p) * 2 * uij)
    return p, eu - (uii + uij)


def isclose(a, b, tol=1e-9):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)
