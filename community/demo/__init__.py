"""Demo data for `manage.py seed_demo`, by sub-domain; each seeder is idempotent and
writes through the services (community/management/commands/seed_demo.py runs them in
order, with the learning and toolkits seeders)."""
