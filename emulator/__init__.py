"""A local AWS Well-Architected emulator for lens sharing, spoken to by an unmodified boto3 client."""

from emulator.control import EmulatorControl
from emulator.server import WellArchitectedEmulator

__all__ = ["EmulatorControl", "WellArchitectedEmulator"]
