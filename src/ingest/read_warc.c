/* read_warc.c — WARC archives. STUB until the reader lands. */
#include "ingest.h"

sl_error sli_ingest_warc_file(sl_batch *b, const char *path, const char *id_base,
                              const char *source)
{
    (void)id_base;
    (void)source;
    sli_ingest_report(b, SL_ERR_UNSUPPORTED, path, 0, -1, "WARC input is not read yet");
    return SL_OK;
}
