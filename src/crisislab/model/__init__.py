"""The scenario as pure data: actors, options, lenses, games, issues, evidence."""
