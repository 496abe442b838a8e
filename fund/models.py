"""The award fund (quỹ thi đua, khen thưởng): each issuing body's yearly budget, the cash each decision charges to it, payments, returns on revocation and the statement."""
