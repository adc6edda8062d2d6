from django.db import models

MIN_COMPANY_ACCOUNT_ADMINS = 1
MAX_COMPANY_ACCOUNT_ADMINS = 3


class BusinessType(models.TextChoices):
    """The SES eligibility list, plus Commercial Bank for depository subjects."""

    AUCTION = "auction", "Auction"
    COMMERCIAL_BANK = "commercial_bank", "Commercial Bank"
    CREDIT_UNION = "credit_union", "Credit Union"
    COMMERCIAL_FINANCE = "commercial_finance", "Commercial Finance"
    CONSUMER_FINANCE = "consumer_finance", "Consumer Finance"
    DEBT = "debt", "Debt"
    MONEY_SERVICE_BUSINESS = "money_service_business", "Money Service Business"
    MORTGAGE_ORIGINATION = "mortgage_origination", "Mortgage Origination"
    MORTGAGE_SERVICING = "mortgage_servicing", "Mortgage Servicing"
    TECHNOLOGY_SERVICE_PROVIDER = "technology_service_provider", "Technology Service Provider"
    TRUST = "trust", "Trust"


class ComplaintsAccess(models.TextChoices):
    NONE = "none", "No complaints access"
    VIEW = "view", "View complaints"
    MANAGE = "manage", "Manage complaints"


MAX_OTHER_NAMES = 20
MAX_NOTIFICATION_ADDRESSES = 10

# Two-letter postal codes accepted for a company or branch address: states, DC and territories.
US_STATES: dict[str, str] = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
}
