"""Looking inside the network: activation functions, hidden neurons, side-by-side trainings,
and exercises a teacher shares with a link."""
