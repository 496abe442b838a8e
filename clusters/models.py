"""Emulation clusters and blocs (cụm, khối thi đua): member units, the rotating leader, criteria, self- and cross-scoring, review, ranking and the cluster's proposals."""
