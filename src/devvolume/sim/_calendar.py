"""The Chinese working-day calendar and the name pools the simulator draws from.

A sales team works Monday to Friday, stops for the statutory Spring Festival (春节), New Year's Day
(元旦), Labour Day (劳动节) and National Day (国庆) holidays (Qingming, Dragon Boat and Mid-Autumn
are left out), and does much less in the weeks around Spring Festival: customers are busy
before it and slow to come back after it. Make-up working weekends (调休) are not modelled.

The name pools give realistic Chinese reps (王磊, 李娜), teams (华东一组, 先锋队) and customer
companies (杭州恒达贸易有限公司), each unique inside one simulation.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Spring Festival (正月初一) and its statutory holiday, first and last day off.
SPRING_FESTIVAL: dict[int, tuple[str, str, str]] = {
    2023: ("2023-01-22", "2023-01-21", "2023-01-27"),
    2024: ("2024-02-10", "2024-02-10", "2024-02-17"),
    2025: ("2025-01-29", "2025-01-28", "2025-02-04"),
    2026: ("2026-02-17", "2026-02-15", "2026-02-23"),
    2027: ("2027-02-06", "2027-02-05", "2027-02-11"),
}

#: Fixed-date statutory holidays (元旦, 劳动节, 国庆), month-day of the first and last day off.
FIXED_HOLIDAYS: tuple[tuple[tuple[int, int], tuple[int, int]], ...] = (
    ((1, 1), (1, 1)),
    ((5, 1), (5, 5)),
    ((10, 1), (10, 7)),
)

#: Days before and after the Spring Festival holiday with reduced activity, and the share of a
#: normal day's new leads they get.
FESTIVAL_BEFORE_DAYS = 10
FESTIVAL_AFTER_DAYS = 14
FESTIVAL_BEFORE_FACTOR = 0.6
FESTIVAL_AFTER_FACTOR = 0.55


def _day(text: str) -> np.datetime64:
    return np.datetime64(text, "D")


def working_days(start: str, end: str) -> tuple[np.ndarray, np.ndarray]:
    """Return the working days from ``start`` to ``end`` and each day's activity factor.

    Parameters
    ----------
    start, end : str
        ISO dates, both included.

    Returns
    -------
    days : numpy.ndarray
        ``datetime64[D]`` working days (weekdays outside the statutory holidays).
    factor : numpy.ndarray
        Share of a normal day's prospecting done on each working day: below 1 in the weeks
        around Spring Festival, 1 elsewhere. Years without a known Spring Festival date
        (outside 2023-2027) get no festival holiday and no dip.

    Examples
    --------
    >>> days, factor = working_days("2025-01-24", "2025-02-07")
    >>> [str(d) for d in days]
    ['2025-01-24', '2025-01-27', '2025-02-05', '2025-02-06', '2025-02-07']
    >>> factor.round(2).tolist()
    [0.6, 0.6, 0.55, 0.55, 0.55]
    """
    all_days = np.arange(_day(start), _day(end) + 1, dtype="datetime64[D]")
    weekday = (all_days.astype("int64") + 3) % 7  # 1970-01-01 was a Thursday
    off = weekday >= 5
    factor = np.ones(all_days.size)
    if not all_days.size:
        return all_days, np.ones(0)
    for year in range(int(str(all_days[0])[:4]), int(str(all_days[-1])[:4]) + 1):
        for (m0, d0), (m1, d1) in FIXED_HOLIDAYS:
            first, last = _day(dt.date(year, m0, d0).isoformat()), _day(dt.date(year, m1, d1).isoformat())
            off |= (all_days >= first) & (all_days <= last)
        if year not in SPRING_FESTIVAL:
            continue
        _, first_text, last_text = SPRING_FESTIVAL[year]
        first, last = _day(first_text), _day(last_text)
        off |= (all_days >= first) & (all_days <= last)
        before = (all_days >= first - FESTIVAL_BEFORE_DAYS) & (all_days < first)
        after = (all_days > last) & (all_days <= last + FESTIVAL_AFTER_DAYS)
        factor[before] = FESTIVAL_BEFORE_FACTOR
        factor[after] = FESTIVAL_AFTER_FACTOR
    return all_days[~off], factor[~off]


SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
GIVEN_NAMES = (
    "磊", "娜", "伟", "静", "敏", "强", "芳", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "霞", "平", "刚", "桂英", "建华", "志强", "海燕", "晓东", "丽华", "晨", "鹏", "婷",
    "斌", "雪", "浩", "琳", "宇", "倩", "凯", "颖", "俊", "慧", "峰", "丹", "晓燕", "建军",
    "志刚", "文静", "子豪", "佳怡", "思远", "雨欣", "嘉伟", "欣怡", "海涛", "红梅", "立新",
    "春华", "国强", "玉兰", "亚楠", "志明", "晓峰", "文博",
)
REGIONS = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")
NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
SQUADS = ("先锋队", "飞虎队", "开拓队", "猎鹰队", "雄鹰队", "精英队", "火箭队", "卓越队")
CITIES = (
    "杭州", "上海", "北京", "广州", "深圳", "苏州", "南京", "宁波", "成都", "武汉", "重庆",
    "西安", "天津", "青岛", "厦门", "长沙", "郑州", "合肥", "济南", "福州", "无锡", "东莞",
    "佛山", "昆明", "沈阳", "大连", "南昌", "温州", "绍兴", "嘉兴", "常州", "南通", "泉州",
    "石家庄", "太原", "南宁", "贵阳", "哈尔滨", "长春", "兰州",
)
BRAND_WORDS = (
    "恒达", "鑫源", "华美", "盛世", "宏图", "金桥", "永信", "博远", "瑞丰", "天成", "嘉禾",
    "汇通", "中联", "新锐", "隆兴", "海纳", "创联", "东升", "富华", "信诚", "正泰", "凯旋",
    "安泰", "德胜", "合力", "晨光", "四海", "万家", "百川", "明辉", "远航", "卓越", "精诚",
    "启航", "兴业", "广源", "荣昌", "祥和", "宏达", "振华", "鼎盛", "华泰", "聚贤", "同创",
    "润达", "佳禾", "泰和", "长青", "世纪", "众鑫", "宏远", "天宇", "金鼎", "银河", "旭日",
    "锦程", "福瑞", "和顺", "新华", "利民",
)
COMPANY_SUFFIXES = ("有限公司", "有限责任公司", "股份有限公司")

#: Industry words by kind of customer base.
INDUSTRIES: dict[str, tuple[str, ...]] = {
    "general": (
        "贸易", "科技", "商贸", "电子", "机械", "食品", "建材", "物流", "医疗器械", "服饰",
        "家居", "化工", "文化传媒", "餐饮管理", "信息技术", "包装", "汽车配件", "农业", "环保",
        "教育咨询",
    ),
    "retail": (
        "超市", "便利店", "商贸", "食品", "副食品", "连锁", "百货", "酒业", "饮料", "日化",
        "批发", "生鲜", "母婴用品", "烟酒", "粮油",
    ),
    "enterprise": (
        "信息技术", "智能制造", "科技", "网络科技", "数据科技", "电子商务", "医疗科技", "物流",
        "金融服务", "机械制造", "精密仪器", "新能源", "汽车部件", "生物科技", "建筑工程",
    ),
}


def _unique_picks(rng: np.random.Generator, pool_size: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` distinct codes; codes past the pool carry a copy number (0 = first copy)."""
    copies = max(1, -(-n // pool_size))
    codes = rng.choice(pool_size * copies, size=n, replace=False) if n else np.zeros(0, int)
    return codes % pool_size, codes // pool_size


def rep_names(rng: np.random.Generator, n: int) -> list[str]:
    """Return ``n`` distinct Chinese full names such as 王磊 or 李秀英."""
    base, copy = _unique_picks(rng, len(SURNAMES) * len(GIVEN_NAMES), n)
    names = [SURNAMES[b // len(GIVEN_NAMES)] + GIVEN_NAMES[b % len(GIVEN_NAMES)] for b in base]
    return [name if c == 0 else f"{name}{c + 1}" for name, c in zip(names, copy, strict=True)]


def team_names(n: int) -> list[str]:
    """Return ``n`` distinct team names such as 华东一组 or 先锋队.

    Examples
    --------
    >>> team_names(3)
    ['华东一组', '华东二组', '华南一组']
    """
    pool = [
        "华东一组", "华东二组", "华南一组", "华北一组", "西南一组", "华中一组", "先锋队",
        *(f"{region}{num}组" for num in NUMERALS[1:3] for region in REGIONS if region != "华东"),
        *SQUADS[1:],
    ]
    if n <= len(pool):
        return pool[:n]
    return [*pool, *(f"销售{k}组" for k in range(len(pool) + 1, n + 1))]


def company_names(rng: np.random.Generator, n: int, industry: str = "general") -> pa.Array:
    """Return ``n`` distinct company names: city + brand word + industry + legal suffix.

    Past the pool's size (about 100,000 names) a copy number keeps the names unique
    (``…有限公司2``); only very large benchmark runs reach it.

    Examples
    --------
    >>> names = company_names(np.random.default_rng(0), 3, "retail")
    >>> len(set(names.to_pylist())), names.to_pylist()[0].endswith("公司")
    (3, True)
    """
    industries = INDUSTRIES[industry]
    pool = pa.array(
        [
            city + word + trade + suffix
            for city in CITIES
            for word in BRAND_WORDS
            for trade in industries
            for suffix in COMPANY_SUFFIXES
        ],
        type=pa.large_string(),
    )
    base, copy = _unique_picks(rng, len(pool), n)
    names = pool.take(pa.array(base))
    if not copy.any():
        return names
    number = pc.cast(pa.array(copy + 1), pa.large_string())
    suffix = pc.if_else(pa.array(copy == 0), pa.scalar("", pa.large_string()), number)
    return pc.binary_join_element_wise(names, suffix, pa.scalar("", pa.large_string()))
