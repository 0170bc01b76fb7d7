"""Capital One: card transactions (expenses and credits) from CSV exports the user drops by hand."""
