"""The task queues, each served by its own thread of every worker (rostra.core.worker),
so that a backlog on one never holds up the others: a burst of notification e-mails
does not keep an editor's import waiting, nor an import the e-mails.

Plain names, no Django import: the settings read them.
"""

DEFAULT = "default"  # upkeep (prune) and small jobs (moving passage comments)
EMAIL = "email"  # every e-mail: notifications, digests, confirmations, receipts
IMPORTS = "imports"  # imports uploaded in the admin
SEARCH = "search"  # search index updates after bulk writes

ALL = (DEFAULT, EMAIL, IMPORTS, SEARCH)
