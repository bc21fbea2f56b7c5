"""How the local cloud refuses: a template refused before anything is touched, a reference unresolvable while the
stack runs, or a state directory it cannot read."""


class TemplateError(Exception):
    """What CloudFormation refuses before it touches a resource; the message is one line saying what and where."""


class ResolveError(Exception):
    """A reference that cannot be resolved while the stack runs (an attribute the resource did not return)."""


class StateError(Exception):
    """A state directory this version cannot read; the message says how to start afresh."""
