"""baocao — the monthly progress-reporting cycle of a Vietnamese provincial department.

The month flows through the modules in this order: settings → register → templates →
intake → read → identify → validate → evaluate → write → notify → schedule, with the ledger beside it.
"""

__version__ = "0.1.0"
