"""Pure rules of events and attendance: no pymongo, aiokafka or fastapi here."""
