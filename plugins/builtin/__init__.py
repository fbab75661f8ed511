"""The 22 built-in service types, one plugin module each, in catalogue order."""

SERVICE_CODES: tuple[str, ...] = (
    "housekeeping",
    "car_moving",
    "road_rescue",
    "designated_driving",
    "vehicle_inspection",
    "unlocking",
    "home_repair",
    "pipe_dredging",
    "appliance_repair",
    "appliance_cleaning",
    "moving",
    "heating_repair",
    "pest_control",
    "recycling",
    "water_delivery",
    "errand",
    "elderly_care",
    "medical_escort",
    "childcare",
    "legal_consultation",
    "psychological_support",
    "dispute_mediation",
)

MODULES: tuple[str, ...] = tuple(f"plugins.builtin.{code}" for code in SERVICE_CODES)
