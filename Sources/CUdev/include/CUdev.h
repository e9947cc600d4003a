#ifndef USBIP_CUDEV_H
#define USBIP_CUDEV_H

/* libudev, loaded when first needed (dlopen) rather than linked: only `usbip list -l` enumerates through it,
 * and loading libudev.so.1 at every start cost every command ~0.1 ms and the daemons a mapping they never use.
 * <libudev.h> (libudev-dev) gives the real prototypes, which the function table below is typed from; Swift
 * calls the cudev_* wrappers, never udev_* directly (those are not linked: a direct call fails to link). */
#include <stddef.h>
#include <libudev.h>

/// Loads `soname` (normally "libudev.so.1") and resolves every function below, once per process; later calls
/// return at once. Returns 0 when libudev is ready, else -1 with what failed (dlerror text) in `message`
/// (`size` bytes, NUL-terminated). A failed attempt is not remembered: a later call tries again.
int cudev_load(const char *soname, char *message, size_t size);

struct udev *cudev_new(void);
struct udev *cudev_unref(struct udev *udev);
struct udev_enumerate *cudev_enumerate_new(struct udev *udev);
struct udev_enumerate *cudev_enumerate_unref(struct udev_enumerate *enumerate);
int cudev_enumerate_add_match_subsystem(struct udev_enumerate *enumerate, const char *subsystem);
int cudev_enumerate_add_match_parent(struct udev_enumerate *enumerate, struct udev_device *parent);
int cudev_enumerate_scan_devices(struct udev_enumerate *enumerate);
struct udev_list_entry *cudev_enumerate_get_list_entry(struct udev_enumerate *enumerate);
struct udev_list_entry *cudev_list_entry_get_next(struct udev_list_entry *entry);
const char *cudev_list_entry_get_name(struct udev_list_entry *entry);
struct udev_device *cudev_device_new_from_syspath(struct udev *udev, const char *syspath);
struct udev_device *cudev_device_new_from_subsystem_sysname(struct udev *udev, const char *subsystem,
                                                             const char *sysname);
struct udev_device *cudev_device_unref(struct udev_device *device);
const char *cudev_device_get_sysname(struct udev_device *device);
const char *cudev_device_get_syspath(struct udev_device *device);
const char *cudev_device_get_devpath(struct udev_device *device);
const char *cudev_device_get_driver(struct udev_device *device);
const char *cudev_device_get_sysattr_value(struct udev_device *device, const char *sysattr);

#endif
