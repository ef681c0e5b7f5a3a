"""Board tables, the regiekamers and escalations (see issue 5)."""
