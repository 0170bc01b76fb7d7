"""DistroKid: bank details (royalty line items) and the streams / Apple Music stats pages."""
