#include <curl/curl.h>

// `curl_easy_setopt` and `curl_easy_getinfo` are C variadic functions, which Swift cannot call. These typed wrappers
// make the variadic call in C, with the argument type libcurl reads for each option family (long, pointer,
// curl_off_t, the callback types), so Swift never calls a variadic function through a non-variadic type: that
// happens to work on x86-64 and is undefined behaviour elsewhere (arm64 passes variadic arguments differently on
// some ABIs).

static inline CURLcode gatehouse_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gatehouse_curl_setopt_pointer(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gatehouse_curl_setopt_offset(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// The write, header and read callbacks share libcurl's `size_t (*)(char *, size_t, size_t, void *)` shape.
typedef size_t (*gatehouse_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode gatehouse_curl_setopt_callback(CURL *handle, CURLoption option, gatehouse_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode gatehouse_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
