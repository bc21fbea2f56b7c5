"""CloudFormation custom resources that share AWS Well-Architected custom lenses."""

__version__ = "1.1.0"
