"""English dates as a newsroom writes them ("27 November 2026, 09:08"), not Django's
American defaults ("Nov. 27, 2026, 9:08 a.m."). Other languages use Django's formats
for their locale. Read through FORMAT_MODULE_PATH."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
