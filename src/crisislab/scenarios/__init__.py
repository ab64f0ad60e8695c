"""Built-in scenarios shipped with crisislab."""
