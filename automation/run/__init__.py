"""The use cases (SPEC §8): collect, scan, withdraw, remind and mail after a collect, the demo and
``init`` — each one function the CLI and the scheduler both call, composed from the stages. Also the
worker pool that spreads a large collect over the cores.

May import every stage and ``state``; never ``schedule`` or ``cli``.
"""
