"""What a dossier owes and pays, as forms_app sees it (the money itself is ``payments``'):
``summary`` reads a dossier's fees (what is charged, paid, owed; the fee alternatives the
official chooses), ``services`` writes them (copying the schedule, adjusting it at
reception, recording a payment, refunds), ``selectors`` scopes payments and refunds to an
official's agencies, ``receipts`` writes the receipt PDF, ``admin`` and ``report`` are the
"Thu phí" screens of the back office."""
