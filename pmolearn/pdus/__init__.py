"""PDU activities and the compliance engine that judges a certification cycle."""
