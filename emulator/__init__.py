"""A local AWS Well-Architected emulator for sharing lenses, profiles, review templates and workloads, spoken to by
an unmodified boto3 client; emulator.behaviours holds a switch for each behaviour AWS leaves undocumented."""

from emulator.control import EmulatorControl
from emulator.server import WellArchitectedEmulator

__all__ = ["EmulatorControl", "WellArchitectedEmulator"]
