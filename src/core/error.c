/* error.c — names of the error codes, and the library version. */
#include "storyline.h"

static const char *const messages[SL_ERR__COUNT] = {
    [SL_OK] = "success",
    [SL_ERR_NOMEM] = "out of memory",
    [SL_ERR_INVALID] = "invalid argument",
    [SL_ERR_IO] = "cannot read input",
    [SL_ERR_NOT_FOUND] = "not found",
    [SL_ERR_UNSUPPORTED] = "unsupported input or not built yet",
    [SL_ERR_UTF8] = "invalid UTF-8",
    [SL_ERR_BINARY] = "binary file",
    [SL_ERR_EMPTY] = "no article text",
    [SL_ERR_TOO_BIG] = "too big",
    [SL_ERR_JSON] = "malformed JSON",
    [SL_ERR_NO_TEXT] = "JSON record has no text field",
    [SL_ERR_STORE] = "store error",
    [SL_ERR_STORE_VERSION] = "store written by an incompatible version",
    [SL_ERR_BUSY] = "store is locked by another writer",
    [SL_ERR_STATE] = "call not valid in this state",
    [SL_ERR_WRITE] = "output failed",
};

const char *sl_strerror(sl_error err)
{
    if ((unsigned)err >= SL_ERR__COUNT || !messages[err])
        return "unknown error";
    return messages[err];
}

const char *sl_version(void)
{
    return SL_VERSION_STRING;
}
