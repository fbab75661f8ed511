"""Demo data for the 12345 hotline: the category tree the demo city ships with."""
