"""Budget years, budget lines and council letters (see issue 4)."""
