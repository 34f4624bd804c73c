"""MongoDB access of the registration service, one module per collection family."""
