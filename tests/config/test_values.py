from __future__ import annotations

import pytest
from pydantic import ValidationError

from listcheck.config import Config
from listcheck.errors import ConfigError

HOSTILE_ADDRESSES = [
    "https://ghe.example:99999/api/v3",
    "https://ghe.example:-1/",
    "https://ghe.example:x/",
    "http://[::1/",
    "http://[::1]:8080/api",
    "https://hub\u202e.example",
    "https://bücher.example/api",
    "https://xn--bcher-kva.example/api",
    "https://ghe\x00.example/",
    "https://ghe\texample/",
    "https://user:pw@ghe.example/api/v3",
    "https://ghe.example/api/v3?x=1#y",
    "http:///api",
    "https://ghe.example/\u202e",
]


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_an_address_accepted_is_one_the_client_can_use(address: str) -> None:
    """What the file may name, the client takes: no address fails later in the run."""
    from yarl import URL

    try:
        config = Config.model_validate({"github": {"api_url": address}})
    except ValidationError:
        return
    url = URL(config.github.api_base({}))
    assert url.scheme in {"http", "https"}
    assert url.host


@pytest.mark.parametrize(
    ("variable", "table"), [("GITHUB_API_URL", "github"), ("HF_ENDPOINT", "huggingface")]
)
def test_an_unusable_address_in_the_environment_is_one_line(variable: str, table: str) -> None:
    config = Config()
    with pytest.raises(ConfigError) as caught:
        getattr(config, table).api_base({variable: "https://ghe.example:99999"})
    assert (
        str(caught.value) == f'{variable}: must be an http(s) URL, got "https://ghe.example:99999"'
    )
    assert getattr(config, table).api_base({variable: "https://ghe.example/api/v3/"}) == (
        "https://ghe.example/api/v3"
    )
