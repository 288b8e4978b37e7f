"""KML export of a stored flight track."""

from django.utils.text import slugify
from lxml import etree

KML_NS = "http://www.opengis.net/kml/2.2"


def build_kml(*, name: str, points: list[list[float]]) -> bytes:
    """A KML LineString of the stored track (lon,lat,alt; absolute altitudes in metres)."""
    kml = etree.Element(f"{{{KML_NS}}}kml", nsmap={None: KML_NS})
    document = etree.SubElement(kml, f"{{{KML_NS}}}Document")
    etree.SubElement(document, f"{{{KML_NS}}}name").text = name
    placemark = etree.SubElement(document, f"{{{KML_NS}}}Placemark")
    etree.SubElement(placemark, f"{{{KML_NS}}}name").text = name
    line = etree.SubElement(placemark, f"{{{KML_NS}}}LineString")
    etree.SubElement(line, f"{{{KML_NS}}}altitudeMode").text = "absolute"
    etree.SubElement(line, f"{{{KML_NS}}}coordinates").text = " ".join(
        f"{p[2]:.6f},{p[1]:.6f},{p[3]:.1f}" for p in points)
    return etree.tostring(kml, xml_declaration=True, encoding="UTF-8")


def kml_filename(flight) -> str:
    """A download name safe in any header: ids are checked at ingest, but a flight stored
    before that (or from another source) may hold anything, CR/LF and quotes included."""
    return f"flight-{slugify(flight.wiflight_id) or flight.pk}.kml"
