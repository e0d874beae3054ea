"""Horizontal bar charts as inline SVG, with every number computed here: the
template partial (reports/includes/_bar_chart.html) only places what it is given.
No script, no CDN, no style attributes; the values are also printed as text and
in a table beside the chart for screen readers."""

from dataclasses import dataclass

LABEL_WIDTH = 150
BAR_AREA = 200
VALUE_WIDTH = 70
ROW_HEIGHT = 30
BAR_HEIGHT = 20
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    value_label: str
    y: int
    width: int

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def value_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    key: str
    title: str
    bars: list[Bar]
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    width: int = WIDTH

    @property
    def height(self) -> int:
        return max(len(self.bars), 1) * ROW_HEIGHT + 10

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8

    @property
    def total(self) -> float:
        return sum(bar.value for bar in self.bars)


def bar_chart(
    key: str, title: str, values: list[tuple[str, int | float]], unit: str = ""
) -> BarChart:
    """Bars scaled to the largest value; a non-zero value gets at least 2 px so it shows."""
    largest = max((value for _, value in values), default=0)
    bars = []
    for index, (label, value) in enumerate(values):
        width = round(BAR_AREA * value / largest) if largest else 0
        if value and width < 2:
            width = 2
        shown = f"{value:g}{unit}" if isinstance(value, float) else f"{value}{unit}"
        bars.append(
            Bar(label=label, value=value, value_label=shown, y=5 + index * ROW_HEIGHT, width=width)
        )
    return BarChart(key=key, title=title, bars=bars)
