"""Operating-system errors said in Chinese: “No space left on device” → “磁盘空间不足”.

One table for every door (reading a filing, importing a document, writing a package, starting
LibreOffice): the reason comes from the error number, never from the English ``strerror``.
"""

from __future__ import annotations

import errno

_ERRNO_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限（文件或文件夹只读，或被其他程序占用）",
    errno.EPERM: "操作不被允许",
    errno.ENOSPC: "磁盘空间不足",
    errno.EROFS: "所在磁盘或文件夹是只读的",
    errno.EEXIST: "已存在同名文件或文件夹",
    errno.EISDIR: "是文件夹，不是文件",
    errno.ENOTDIR: "路径中有一项不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EIO: "读写出错（磁盘或网络盘故障）",
    errno.EDQUOT: "超出磁盘配额",
    errno.EMFILE: "打开的文件过多",
    errno.EXDEV: "不能跨磁盘移动",
    errno.ENOTEMPTY: "文件夹不是空的",
    errno.EINVAL: "文件名或参数无效（可能含有系统不允许的字符）",
    errno.EFBIG: "文件太大",
    errno.EPIPE: "输出管道已关闭",
    errno.ELOOP: "路径中的链接循环",
}

# Windows reports these as ``winerror`` with a less telling errno.
_WINDOWS_REASONS = {
    5: "没有权限（文件或文件夹只读，或被其他程序占用）",
    32: "文件正被其他程序（如 Excel、WPS）打开",
    33: "文件的一部分被其他程序锁定",
    112: "磁盘空间不足",
    123: "文件名、文件夹名中有系统不允许的字符",
    206: "文件名或路径太长",
}


def os_reason(exc: OSError) -> str:
    """The reason of an OSError in Chinese: the error's meaning, never the English text."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    if exc.errno in _ERRNO_REASONS:
        return _ERRNO_REASONS[exc.errno]
    return f"系统错误（错误号 {exc.errno}）" if exc.errno else "系统错误"
