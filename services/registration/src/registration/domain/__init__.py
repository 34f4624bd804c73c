"""Pure rules of registration: no framework, database or broker imports."""
