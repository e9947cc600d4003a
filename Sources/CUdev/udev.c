#include "CUdev.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

/* Every libudev function the tools use: X(name). */
#define CUDEV_FUNCTIONS(X)                                                                                  \
    X(udev_new) X(udev_unref) X(udev_enumerate_new) X(udev_enumerate_unref)                                \
    X(udev_enumerate_add_match_subsystem) X(udev_enumerate_add_match_parent) X(udev_enumerate_scan_devices) \
    X(udev_enumerate_get_list_entry) X(udev_list_entry_get_next) X(udev_list_entry_get_name)               \
    X(udev_device_new_from_syspath) X(udev_device_new_from_subsystem_sysname) X(udev_device_unref)         \
    X(udev_device_get_sysname) X(udev_device_get_syspath) X(udev_device_get_devpath)                       \
    X(udev_device_get_driver) X(udev_device_get_sysattr_value)

/* The resolved functions, typed from <libudev.h>'s prototypes. */
#define CUDEV_POINTER(name) static __typeof__(name) *p_##name;
CUDEV_FUNCTIONS(CUDEV_POINTER)

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int loaded;

int cudev_load(const char *soname, char *message, size_t size) {
    int result = 0;
    pthread_mutex_lock(&lock);
    if (!loaded) {
        void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
        if (!handle) {
            snprintf(message, size, "%s", dlerror());
            result = -1;
        }
#define CUDEV_RESOLVE(name)                                                                   \
        if (result == 0 && !(p_##name = (__typeof__(name) *)dlsym(handle, #name))) {          \
            snprintf(message, size, "%s has no %s", soname, #name);                           \
            result = -1;                                                                      \
        }
        CUDEV_FUNCTIONS(CUDEV_RESOLVE)
        if (result == 0) {
            loaded = 1;
        } else if (handle) {
            dlclose(handle);
        }
    }
    pthread_mutex_unlock(&lock);
    return result;
}

struct udev *cudev_new(void) { return p_udev_new(); }
struct udev *cudev_unref(struct udev *udev) { return p_udev_unref(udev); }
struct udev_enumerate *cudev_enumerate_new(struct udev *udev) { return p_udev_enumerate_new(udev); }
struct udev_enumerate *cudev_enumerate_unref(struct udev_enumerate *e) { return p_udev_enumerate_unref(e); }
int cudev_enumerate_add_match_subsystem(struct udev_enumerate *e, const char *subsystem) {
    return p_udev_enumerate_add_match_subsystem(e, subsystem);
}
int cudev_enumerate_add_match_parent(struct udev_enumerate *e, struct udev_device *parent) {
    return p_udev_enumerate_add_match_parent(e, parent);
}
int cudev_enumerate_scan_devices(struct udev_enumerate *e) { return p_udev_enumerate_scan_devices(e); }
struct udev_list_entry *cudev_enumerate_get_list_entry(struct udev_enumerate *e) {
    return p_udev_enumerate_get_list_entry(e);
}
struct udev_list_entry *cudev_list_entry_get_next(struct udev_list_entry *entry) {
    return p_udev_list_entry_get_next(entry);
}
const char *cudev_list_entry_get_name(struct udev_list_entry *entry) { return p_udev_list_entry_get_name(entry); }
struct udev_device *cudev_device_new_from_syspath(struct udev *udev, const char *syspath) {
    return p_udev_device_new_from_syspath(udev, syspath);
}
struct udev_device *cudev_device_new_from_subsystem_sysname(struct udev *udev, const char *subsystem,
                                                             const char *sysname) {
    return p_udev_device_new_from_subsystem_sysname(udev, subsystem, sysname);
}
struct udev_device *cudev_device_unref(struct udev_device *device) { return p_udev_device_unref(device); }
const char *cudev_device_get_sysname(struct udev_device *device) { return p_udev_device_get_sysname(device); }
const char *cudev_device_get_syspath(struct udev_device *device) { return p_udev_device_get_syspath(device); }
const char *cudev_device_get_devpath(struct udev_device *device) { return p_udev_device_get_devpath(device); }
const char *cudev_device_get_driver(struct udev_device *device) { return p_udev_device_get_driver(device); }
const char *cudev_device_get_sysattr_value(struct udev_device *device, const char *sysattr) {
    return p_udev_device_get_sysattr_value(device, sysattr);
}
