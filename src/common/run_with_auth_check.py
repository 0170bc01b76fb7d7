"""Check saved logins, renew the unusable ones by hand, then run the pipeline:
`python src/common/run_with_auth_check.py [--check-only] [--automated] [service ...]`."""

import sys

from common.cookies_cli import auth_check_app

if __name__ == "__main__":
    auth_check_app(sys.argv[1:], prog_name="run_with_auth_check.py")
