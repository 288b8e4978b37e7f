"""What a pilot reads: Wi-Flight stores metres and m/s (docs/wiflight.md); a club shows feet
and knots, or metres and km/h (Organization.altitude_unit). Converted only for display."""

from dataclasses import dataclass

FEET_PER_METRE = 1 / 0.3048
KNOTS_PER_MPS = 3600 / 1852
KMH_PER_MPS = 3.6


@dataclass(frozen=True)
class Units:
    altitude: str  # "ft" or "m"
    speed: str  # "kt" or "km/h"

    def altitude_of(self, metres: float) -> int:
        return round(metres * FEET_PER_METRE) if self.altitude == "ft" else round(metres)

    def speed_of(self, metres_per_second: float) -> int:
        return round(metres_per_second * (KNOTS_PER_MPS if self.speed == "kt" else KMH_PER_MPS))


def units_for(organization) -> Units:
    return Units("m", "km/h") if organization.altitude_unit == "m" else Units("ft", "kt")
