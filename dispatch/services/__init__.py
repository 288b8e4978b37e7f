"""Writes for the fleet, bookings and dispatch. Views, commands and (later) the API call these;
each is one transaction with its audit entry, and the database constraints are the guarantee
beneath the friendly checks."""
