"""State honours (khen cao): proposals to the central level assembled from a province's decided dossiers, sent up as a forwarded dossier, and their results when they come back."""
