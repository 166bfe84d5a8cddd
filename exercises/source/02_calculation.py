# %% [markdown]
# # 练习二：客户开发量怎么算
#
# 配合第二课：统计周期的边界、为 0 的周期、汇总。每道题把答案赋给指定的变量，再运行 `check()`。
# 答错时会告诉你错在哪里（例如“把一个月当成了 30 天”），但不会告诉你答案。
# 需要提示就运行 `q1.hint()`（每运行一次给下一级提示），`q1.solution()` 显示参考答案。
#
# 检查的标准：客户个数要完全一样（差 1 也不对）；比率写成小数，保留至少三位（0.25 表示 25%）；金额精确到元。
# 比率写成了百分数，或者小数位太少、看不出用的是哪种算法时，会请你 🔁 换个写法再交：这一次不算对，也不算错。
#
# 练习用的是案例公司日志的**练习版**（`exercise_data()`）：课上那份日志之外，多了一些后来的行：老客户又下了一单
# （回头单），别的团队接手跟进老客户（再下一单、流失后再试一次、给还没有结果的客户打个电话）。这些行不改变任何客户
# 第一次达到各阶段的日期，也不改变谁成交、谁流失，所以课上的新客户数、转化率、赢单率在这里照样成立；可是数行数、
# 数活跃客户、先把日志筛成一个团队再数，就会数出别的数。真实的公司里，团队之间本来就会共享客户。

# %%
import devvolume as dv
from devvolume.teach.exercises import ____, exercise_data, lesson02, sign_in  # noqa: F401, RUF100 (学员版用 ____ 占位)

sign_in()  # 第一次做练习时写上你的名字：进度只保存在本机，老师汇总全班进度时用

data = exercise_data()  # 案例公司 directsales 的练习版（见上）
log = data.worklog
weekend = lesson02.weekend_worklog()
q1, q2, q3, q4 = lesson02.QUESTIONS

# %% [markdown]
# ## 第 1 题
#
# 案例公司周末不上班，日志里没有周六、周日的行。会展一组不一样：他们周末在展会上接触客户。
# 下面是这个组的 17 行工作日志（“星期”一列是为了方便你看，日志本身没有这一列）：

# %%
weekdays = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]
dv.teach.chinese(weekend).assign(星期=weekend["date"].dt.day_of_week.map(dict(enumerate(weekdays))))

# %% [markdown]
# 2026 年第 14 周（ISO 周：3 月 30 日星期一 至 4 月 5 日星期日），这个组新接触了几位客户？
# 可以用眼睛数，也可以用 `dv.development_volume`。赋给 `week14_new`。

# %% tags=["solution"]
week14_new = dv.development_volume(weekend, level="contacted", period="W").set_index("period").loc["2026-03-30", "volume"]

# %%
q1.check()

# %%
# q1.hint()

# %%
# q1.solution()

# %% [markdown]
# ## 第 2 题
#
# 2025 年 7 月（自然月），全公司新接触了多少位客户？赋给 `july_new`。

# %% tags=["solution"]
july_new = dv.development_volume(log, level="contacted", period="M").set_index("period").loc["2025-07-01", "volume"]

# %%
q2.check()

# %%
# q2.hint()

# %%
# q2.solution()

# %% [markdown]
# ## 第 3 题
#
# 新员工刘洋 2 月 17 日入职。2025 年 3 月到 12 月，他每个月各新成交了多少位客户？
# 答案是一张表：月份第一天 → 新成交客户数，10 个月一个不少（例如 `{"2025-03-01": 几位, "2025-04-01": 几位, ...}`，
# 或两列的 DataFrame），赋给 `liu_monthly_won`。

# %% tags=["solution"]
liu_monthly_won = dv.development_volume(log, level="won", period="M", by="rep").loc[lambda t: (t["rep"] == "刘洋") & (t["period"] >= "2025-03-01"), ["period", "volume"]]

# %%
q3.check()

# %%
# q3.hint()

# %%
# q3.solution()

# %% [markdown]
# ## 第 4 题
#
# 2025 年第二季度（4–6 月），全公司新接触了多少位客户？赋给 `q2_new_contacted`。
# 想一想：能不能把 4、5、6 月的数加起来？能不能把 4、5、6 月的“活跃客户”加起来？

# %% tags=["solution"]
q2_new_contacted = dv.development_volume(log, level="contacted", period="Q").set_index("period").loc["2025-04-01", "volume"]

# %%
q4.check()

# %%
# q4.hint()

# %%
# q4.solution()
