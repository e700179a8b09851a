"""The documents the portal writes for a dossier, as PDF: ``pdf`` (the national header, the
agency's lines, fonts and page layout every document shares), ``acknowledgement`` (the
citizen's acknowledgement of submission) and ``letters`` (the agency's apology and new
appointment). The fee receipt is ``finance.receipts``."""
