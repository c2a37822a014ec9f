"""An admin filter with an out-of-range number sends the list back unfiltered with a Korean notice, not a server error."""

import pytest

from gov30.middleware import INVALID_FILTER


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/admin/initiatives/milestone/?start__year=99999999999999999999",
        "/admin/reports/reportevent/?at__year=99999999999999999999",
    ],
)
def test_a_huge_year_in_an_admin_filter_is_refused_without_a_server_error(admin_client, url):
    response = admin_client.get(url)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
    unfiltered = admin_client.get(response["Location"])
    assert unfiltered.status_code == 200
    assert INVALID_FILTER in unfiltered.content.decode()
