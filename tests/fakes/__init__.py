"""Local fakes of the services' sites and APIs on 127.0.0.1, and the test acting as the user."""
