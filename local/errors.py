"""The two ways a template goes wrong: refused before anything is touched, or unresolvable while the stack runs."""


class TemplateError(Exception):
    """What CloudFormation refuses before it touches a resource; the message is one line saying what and where."""


class ResolveError(Exception):
    """A reference that cannot be resolved while the stack runs (an attribute the resource did not return)."""
