"""Signals of the payments app, for the apps that sell something (forms_app's fees).

``payment_completed`` is sent once for each payment that the gateway confirms, after the
transaction recording it has committed (never for one that rolls back, never twice for
a repeated notification), with ``sender=Payment`` and ``payment=<the Payment>``.

Receivers run after the gateway's notification has been recorded and answered for: one
that fails is logged and does not undo the payment. Make them idempotent, and able to
catch up from the database (``Payment`` rows with status "completed"), since a process
may stop between the commit and the signal.
"""

from django.dispatch import Signal

payment_completed = Signal()
