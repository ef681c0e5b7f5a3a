"""Meeting papers' storage moved to `meetings.storage` (issue 31). Kept for the migrations of
this app written before the move (0011, 0015), which name these functions; nothing else uses it.
"""

from meetings.storage import PapersStorage, get_papers_storage, paper_path

__all__ = ["PapersStorage", "get_papers_storage", "paper_path"]
