"""The officials' back office in the Wagtail admin: the "Hồ sơ" listing, inspect page and
dashboard panel (``admin``), the workflow's action screens (``views``, ``forms``), what
every screen shares (``common``), and the holiday calendar (``calendar``). Registered by
``forms_app.wagtail_hooks``; the writes are ``services.workflow``'s."""
