/* date.c — reading dates given in structured fields. */
#include "date.h"

#include <stdio.h>

/* Read exactly `width` digits at s[*i]; returns -1 if they are not there. */
static int digits(const char *s, size_t n, size_t *i, int width)
{
    int v = 0;
    for (int k = 0; k < width; k++) {
        if (*i >= n || s[*i] < '0' || s[*i] > '9')
            return -1;
        v = v * 10 + (s[(*i)++] - '0');
    }
    return v;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

size_t sli_text_parse_iso_date(const char *s, size_t n, char out[32])
{
    size_t i = 0;
    int y = digits(s, n, &i, 4);
    if (y < 1000 || i >= n || (s[i] != '-' && s[i] != '/'))
        return 0;
    char sep = s[i++];
    int m = digits(s, n, &i, 2);
    if (m < 1 || m > 12 || i >= n || s[i++] != sep)
        return 0;
    int d = digits(s, n, &i, 2);
    if (d < 1 || d > days_in_month(y, m))
        return 0;
    /* A date is complete here unless a digit follows. */
    if (i < n && s[i] >= '0' && s[i] <= '9')
        return 0;
    /* The moduli cost nothing (the values are in range) and tell the compiler the width. */
    snprintf(out, 32, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
    size_t date_end = i;

    /* An optional time: T or one space, HH:MM[:SS[.fff]], then Z or +HH:MM / -HHMM. */
    if (i >= n || (s[i] != 'T' && s[i] != ' '))
        return date_end;
    i++;
    int hh = digits(s, n, &i, 2);
    if (hh < 0 || hh > 23 || i >= n || s[i++] != ':')
        return date_end;
    int mm = digits(s, n, &i, 2);
    if (mm < 0 || mm > 59)
        return date_end;
    int ss = 0;
    if (i < n && s[i] == ':') {
        i++;
        ss = digits(s, n, &i, 2);
        if (ss < 0 || ss > 60)
            return date_end;
        if (i < n && (s[i] == '.' || s[i] == ','))
            for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
                ;
    }
    char zone[8] = "";
    if (i < n && s[i] == 'Z') {
        snprintf(zone, sizeof zone, "Z");
        i++;
    } else if (i < n && (s[i] == '+' || s[i] == '-')) {
        char sign = s[i];
        size_t j = i + 1;
        int zh = digits(s, n, &j, 2);
        if (zh >= 0 && zh <= 14) {
            if (j < n && s[j] == ':')
                j++;
            int zm = digits(s, n, &j, 2);
            if (zm >= 0 && zm <= 59) {
                snprintf(zone, sizeof zone, "%c%02u:%02u", sign, (unsigned)zh % 100u,
                         (unsigned)zm % 100u);
                i = j;
            }
        }
    }
    /* Midnight with no zone is how feeds write a bare date: keep it a date. */
    if (hh || mm || ss || zone[0])
        snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02u%.6s", (unsigned)y % 10000u,
                 (unsigned)m % 100u, (unsigned)d % 100u, (unsigned)hh % 100u,
                 (unsigned)mm % 100u, (unsigned)ss % 100u, zone);
    return i;
}

long sli_text_iso_days(const char *s, int *ok)
{
    *ok = 0;
    if (!s)
        return 0;
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            return 0;
    long y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    long m = (s[5] - '0') * 10 + (s[6] - '0'), d = (s[8] - '0') * 10 + (s[9] - '0');
    if (m < 1 || m > 12 || d < 1 || d > days_in_month((int)y, (int)m))
        return 0;
    /* Days from civil (H. Hinnant's algorithm): March-based years make leap days last. */
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *ok = 1;
    return era * 146097 + doe - 719468;
}

void sli_text_days_iso(long days, char out[11])
{
    /* Civil from days (H. Hinnant's algorithm), the inverse of sli_text_iso_days. */
    days += 719468;
    long era = (days >= 0 ? days : days - 146096) / 146097;
    long doe = days - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1;
    long m = mp + (mp < 10 ? 3 : -9);
    y += m <= 2;
    if (y < 0 || y > 9999)
        y = y < 0 ? 0 : 9999; /* never more than four digits */
    int yy = (int)y, mm = (int)(m % 13), dd = (int)(d % 32); /* in range: for the compiler */
    out[0] = (char)('0' + yy / 1000);
    out[1] = (char)('0' + yy / 100 % 10);
    out[2] = (char)('0' + yy / 10 % 10);
    out[3] = (char)('0' + yy % 10);
    out[4] = out[7] = '-';
    out[5] = (char)('0' + mm / 10);
    out[6] = (char)('0' + mm % 10);
    out[8] = (char)('0' + dd / 10);
    out[9] = (char)('0' + dd % 10);
    out[10] = '\0';
}
