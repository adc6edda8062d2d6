import pytest

from redress.core.contact import phone_digits, website_host


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+1 (410) 555-0100", "4105550100"),
        ("410.555.0100", "4105550100"),
        ("1-410-555-0100", "4105550100"),
        ("4105550100 ext", "4105550100"),
        ("555-0100", "5550100"),
        ("+44 20 7946 0958", "442079460958"),
        ("12345", ""),
        ("", ""),
        (None, ""),
        ("call us", ""),
        ("٤١٠٥٥٥٠١٠٠", ""),  # digits of other scripts are not phone digits here
    ],
)
def test_phone_digits(raw, expected):
    assert phone_digits(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.Example.com/about?x=1", "example.com"),
        ("HTTP://example.com:8080", "example.com"),
        ("www.example.com", "example.com"),
        ("example.com.", "example.com"),
        ("  loans.example.co.uk/path  ", "loans.example.co.uk"),
        ("user:pw@www.example.com/", "example.com"),
        ("//cdn.example.net/x", "cdn.example.net"),
        ("www2.example.com", "www2.example.com"),
        ("example.com#top", "example.com"),
        ("localhost", ""),
        ("", ""),
        (None, ""),
        ("not a website", ""),
    ],
)
def test_website_host(raw, expected):
    assert website_host(raw) == expected
