"""The English interface serves the same province: its dates are still written and typed
day first (an English-speaking reader of a Vietnamese portal types "05/11/2026" for
5 November too). Only the words are English; see ``core.formats.vi``."""

from core.formats.vi.formats import *  # noqa: F403
