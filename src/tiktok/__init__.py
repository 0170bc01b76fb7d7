"""TikTok Studio analytics exports of the label's accounts: daily overview, followers, viewers,
follower activity, content and audience snapshots, with years inferred from each file's name."""
