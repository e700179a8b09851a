"""The citizen's side of a dossier before and around "Gửi đi": the wizard (``wizard``,
``forms``), what an uploaded file must be (``uploads``), the dossier's code and lookup key
(``codes``), the procedure as it stood when the dossier was submitted (``snapshot``), and
the supplement form (``supplement_forms``). The writes are ``services.submission``'s."""
