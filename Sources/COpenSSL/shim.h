#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <openssl/pem.h>
#include <openssl/kdf.h>
#include <openssl/md5.h>
#include <openssl/crypto.h>
