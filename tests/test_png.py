"""The PNG writer of the figures and their print copies: Pillow reads back every pixel."""

import io

import numpy as np
import pytest
from PIL import Image

from kyodo_analysis.png import png_bytes


def _read(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_every_pixel_comes_back_including_rows_that_are_darker_than_the_row_above():
    """The Up filter subtracts modulo 256: a row darker than the one above it wraps around, and comes back."""
    pixels = np.random.default_rng(7).integers(0, 256, size=(37, 53, 3), dtype=np.uint8)
    pixels[5] = 255
    pixels[6] = 0  # 0 - 255 wraps to 1
    image = _read(png_bytes(pixels, dpi=150))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (53, 37))
    assert np.array_equal(np.asarray(image), pixels)
    assert round(image.info["dpi"][0]) == 150 and not image.text


def test_rgba_pixels_are_written_without_their_alpha_channel():
    pixels = np.zeros((4, 5, 4), np.uint8)
    pixels[..., 0], pixels[..., 3] = 200, 17
    image = _read(png_bytes(pixels))
    assert image.mode == "RGB" and "dpi" not in image.info  # no dpi asked, none stored
    assert np.array_equal(np.asarray(image), pixels[..., :3])


def test_the_bytes_depend_on_the_pixels_and_the_dpi_only():
    pixels = np.full((3, 3, 3), 9, np.uint8)
    assert png_bytes(pixels, dpi=200) == png_bytes(pixels.copy(), dpi=200) != png_bytes(pixels, dpi=100)


@pytest.mark.parametrize("pixels", [np.zeros((2, 2), np.uint8), np.zeros((2, 2, 2), np.uint8),
                                    np.zeros((2, 2, 3), np.float32)])
def test_pixels_that_are_not_rgb_bytes_are_refused(pixels):
    with pytest.raises(ValueError, match="png_bytes"):
        png_bytes(pixels)
