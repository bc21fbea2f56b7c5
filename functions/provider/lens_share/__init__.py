"""CloudFormation custom resources that share AWS Well-Architected lenses, profiles, review templates and workloads."""

__version__ = "1.4.0"
